// Adam with bias correction (Kingma & Ba):
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr * (m / c1) / (sqrt(v / c2) + eps)
// where c1 = 1 - b1^t and c2 = 1 - b2^t are computed once per step (in f64, then rounded).
export function adamStep(
  parameters: usize, gradient: usize, firstMoment: usize, secondMoment: usize, floats: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, step: i32,
): void {
  const c1 = <f32>(1.0 - Math.pow(<f64>beta1, <f64>step));
  const c2 = <f32>(1.0 - Math.pow(<f64>beta2, <f64>step));
  const oneMinusBeta1: f32 = 1.0 - beta1;
  const oneMinusBeta2: f32 = 1.0 - beta2;
  const bytes = <usize>floats << 2;
  if (ASC_FEATURE_SIMD) {
    const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
    const ob1 = f32x4.splat(oneMinusBeta1), ob2 = f32x4.splat(oneMinusBeta2);
    const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
    const lr = f32x4.splat(learningRate), eps = f32x4.splat(epsilon);
    for (let offset: usize = 0; offset < bytes; offset += 16) {
      const g = v128.load(gradient + offset);
      const m = f32x4.add(f32x4.mul(b1, v128.load(firstMoment + offset)), f32x4.mul(ob1, g));
      const v = f32x4.add(f32x4.mul(b2, v128.load(secondMoment + offset)), f32x4.mul(ob2, f32x4.mul(g, g)));
      v128.store(firstMoment + offset, m);
      v128.store(secondMoment + offset, v);
      const update = f32x4.div(f32x4.mul(lr, f32x4.div(m, vc1)), f32x4.add(f32x4.sqrt(f32x4.div(v, vc2)), eps));
      v128.store(parameters + offset, f32x4.sub(v128.load(parameters + offset), update));
    }
  } else {
    for (let offset: usize = 0; offset < bytes; offset += 4) {
      const g = load<f32>(gradient + offset);
      const m = beta1 * load<f32>(firstMoment + offset) + oneMinusBeta1 * g;
      const v = beta2 * load<f32>(secondMoment + offset) + oneMinusBeta2 * (g * g);
      store<f32>(firstMoment + offset, m);
      store<f32>(secondMoment + offset, v);
      const update = (learningRate * (m / c1)) / (Mathf.sqrt(v / c2) + epsilon);
      store<f32>(parameters + offset, load<f32>(parameters + offset) - update);
    }
  }
}
