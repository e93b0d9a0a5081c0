// Linear regression on glmkit's parameterisation: y ~ N(Xβ + offset, σ²);
// raw coefficients β with independent priors; σ > 0 (log σ sampled, with Jacobian).
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] offset;
  vector[N] y;
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
  real<lower=0> sigma;
}
model {
  for (k in 1:K) {
    if (prior_kind[k] == 1) target += normal_lpdf(beta[k] | prior_location[k], prior_scale[k]);
    else if (prior_kind[k] == 2) target += student_t_lpdf(beta[k] | prior_df[k], prior_location[k], prior_scale[k]);
  }
  if (aux_kind == 1) target += exponential_lpdf(sigma | aux_a);
  else target += gamma_lpdf(sigma | aux_a, aux_b);
  target += normal_lpdf(y | X * beta + offset, sigma);
}
