// Mini-batch SGD with momentum (the PyTorch form): v = momentum * v + g; p -= lr * v.
export function sgdStep(parameters: usize, gradient: usize, velocity: usize, floats: i32, learningRate: f32, momentum: f32): void {
  const bytes = <usize>floats << 2;
  if (ASC_FEATURE_SIMD) {
    const lr = f32x4.splat(learningRate);
    const mu = f32x4.splat(momentum);
    for (let offset: usize = 0; offset < bytes; offset += 16) {
      const v = f32x4.add(f32x4.mul(mu, v128.load(velocity + offset)), v128.load(gradient + offset));
      v128.store(velocity + offset, v);
      v128.store(parameters + offset, f32x4.sub(v128.load(parameters + offset), f32x4.mul(lr, v)));
    }
  } else {
    for (let offset: usize = 0; offset < bytes; offset += 4) {
      const v = momentum * load<f32>(velocity + offset) + load<f32>(gradient + offset);
      store<f32>(velocity + offset, v);
      store<f32>(parameters + offset, load<f32>(parameters + offset) - learningRate * v);
    }
  }
}
