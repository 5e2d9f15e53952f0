/** File names inside the folder cold-start.ts prepares and every cold-start child reads from. */
export const COLD_START_FIXTURES = {
  /** The MLP as ONNX, for the onnxruntime peers. */
  onnx: 'mlp.onnx',
  /** The default model file (churnkit's own format). */
  model: 'model.json',
  /** One raw record for the default model to score. */
  record: 'record.json',
} as const;
