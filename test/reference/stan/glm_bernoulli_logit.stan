// Logistic regression on glmkit's parameterisation: the raw coefficients β of the
// design X (intercept column included, NOT centred), independent priors per
// coefficient, or the Jeffreys prior ½ log|XᵀWX| (W = diag μ(1 − μ)), Firth 1993.
// Used by test/reference/stan-posteriors.R.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] offset;
  int<lower=0, upper=1> y[N];
  int<lower=0, upper=2> prior_kind[K];   // 0 flat, 1 normal(location, scale), 2 student_t(df, location, scale)
  vector<lower=0>[K] prior_df;
  vector[K] prior_location;
  vector<lower=0>[K] prior_scale;
  int<lower=0, upper=1> jeffreys;        // 1: Jeffreys prior on β (prior_kind ignored)
}
parameters {
  vector[K] beta;
}
model {
  vector[N] eta = X * beta + offset;
  if (jeffreys == 1) {
    vector[N] mu = inv_logit(eta);
    target += 0.5 * log_determinant(crossprod(diag_pre_multiply(sqrt(mu .* (1 - mu)), X)));
  } else {
    for (k in 1:K) {
      if (prior_kind[k] == 1) target += normal_lpdf(beta[k] | prior_location[k], prior_scale[k]);
      else if (prior_kind[k] == 2) target += student_t_lpdf(beta[k] | prior_df[k], prior_location[k], prior_scale[k]);
    }
  }
  target += bernoulli_logit_lpmf(y | eta);
}
