// Gamma regression (log link) on glmkit's parameterisation: y ~ Gamma(shape α,
// rate α/μ), μ = exp(Xβ + offset), so E y = μ and var y = μ²/α (dispersion 1/α);
// raw coefficients β with independent priors; α > 0 (log α sampled, with Jacobian).
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
  real<lower=0> shape;
}
model {
  vector[N] mu = exp(X * beta + offset);
  for (k in 1:K) {
    if (prior_kind[k] == 1) target += normal_lpdf(beta[k] | prior_location[k], prior_scale[k]);
    else if (prior_kind[k] == 2) target += student_t_lpdf(beta[k] | prior_df[k], prior_location[k], prior_scale[k]);
  }
  if (aux_kind == 1) target += exponential_lpdf(shape | aux_a);
  else target += gamma_lpdf(shape | aux_a, aux_b);
  target += gamma_lpdf(y | shape, shape ./ mu);
}
