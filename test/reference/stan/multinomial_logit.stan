// The baseline-category (softmax) logit on glmkit's parameterisation: coefficients
// B[, q] of the raw design (intercept column included, predictors not centred) for the
// q-th non-reference category, the reference category's linear predictor fixed at 0,
// independent normal(location, scale) priors on every coefficient (category-major).
data {
  int<lower=1> N;
  int<lower=2> K;
  int<lower=1> P;
  matrix[N, P] X;
  int<lower=1, upper=K> y[N];           // category index, 1 = reference
  vector[(K - 1) * P] prior_location;   // category-major: all terms of category 2, then 3, ...
  vector<lower=0>[(K - 1) * P] prior_scale;
}
parameters {
  matrix[P, K - 1] B;
}
model {
  matrix[N, K] eta = append_col(rep_vector(0, N), X * B);
  to_vector(B) ~ normal(prior_location, prior_scale);   // to_vector is column-major = category-major
  for (i in 1:N) y[i] ~ categorical_logit(eta[i]');
}
