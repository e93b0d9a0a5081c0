// Negative binomial regression (log link, offset) on glmkit's parameterisation:
// y ~ NB2(μ = exp(Xβ + offset), θ), var = μ + μ²/θ; raw coefficients β with
// independent priors; θ > 0 (Stan samples log θ with the Jacobian, as glmkit does).
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] offset;
  int<lower=0> y[N];
  int<lower=0, upper=2> prior_kind[K];
  vector<lower=0>[K] prior_df;
  vector[K] prior_location;
  vector<lower=0>[K] prior_scale;
  int<lower=1, upper=2> aux_kind;        // 1 exponential(aux_a), 2 gamma(aux_a, aux_b)
  real<lower=0> aux_a;
  real<lower=0> aux_b;
}
parameters {
  vector[K] beta;
  real<lower=0> theta;
}
model {
  for (k in 1:K) {
    if (prior_kind[k] == 1) target += normal_lpdf(beta[k] | prior_location[k], prior_scale[k]);
    else if (prior_kind[k] == 2) target += student_t_lpdf(beta[k] | prior_df[k], prior_location[k], prior_scale[k]);
  }
  if (aux_kind == 1) target += exponential_lpdf(theta | aux_a);
  else target += gamma_lpdf(theta | aux_a, aux_b);
  target += neg_binomial_2_log_lpmf(y | X * beta + offset, theta);
}
