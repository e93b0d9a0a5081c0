// Inverse-Gaussian regression (log link) on glmkit's parameterisation:
// log p(y | μ, λ) = ½ log(λ / (2π y³)) − λ (y − μ)² / (2 μ² y), μ = exp(Xβ + offset),
// so var y = μ³/λ (dispersion 1/λ); raw coefficients β with independent priors;
// λ > 0 (log λ sampled, with Jacobian).
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] offset;
  vector<lower=0>[N] y;
  int<lower=0, upper=2> prior_kind[K];
  vector<lower=0>[K] prior_df;
  vector[K] prior_location;
  vector<lower=0>[K] prior_scale;
  int<lower=1, upper=2> aux_kind;
  real<lower=0> aux_a;
  real<lower=0> aux_b;
}
parameters {
  vector[K] beta;
  real<lower=0> lambda;
}
model {
  vector[N] mu = exp(X * beta + offset);
  for (k in 1:K) {
    if (prior_kind[k] == 1) target += normal_lpdf(beta[k] | prior_location[k], prior_scale[k]);
    else if (prior_kind[k] == 2) target += student_t_lpdf(beta[k] | prior_df[k], prior_location[k], prior_scale[k]);
  }
  if (aux_kind == 1) target += exponential_lpdf(lambda | aux_a);
  else target += gamma_lpdf(lambda | aux_a, aux_b);
  target += 0.5 * N * log(lambda) - 0.5 * sum(log(2 * pi() * y .* y .* y))
            - lambda * sum(square(y - mu) ./ (2 * square(mu) .* y));
}
