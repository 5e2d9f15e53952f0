import { z } from 'zod';

/**
 * The zod schema of model file format v1 (documented field by field in
 * docs/model-format.md). Objects are strict: a misspelled field is an error, not
 * silently ignored, because the checksum covers the file exactly as written.
 */

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits (SHA-256)');

const layerSchema = z.strictObject({
  units: z.number().int().positive(),
  activation: z.enum(['relu', 'tanh', 'sigmoid', 'linear']),
});

const architectureSchema = z
  .strictObject({
    kind: z.enum(['logreg', 'mlp']),
    inputs: z.number().int().positive(),
    layers: z.array(layerSchema).min(1),
  })
  .superRefine((architecture, context) => {
    const last = architecture.layers[architecture.layers.length - 1]!;
    if (last.units !== 1 || last.activation !== 'sigmoid') {
      context.addIssue({
        code: 'custom',
        path: ['layers', architecture.layers.length - 1],
        message: 'expected the output layer to be { units: 1, activation: "sigmoid" }',
      });
    }
    if (architecture.kind === 'logreg' && architecture.layers.length !== 1) {
      context.addIssue({ code: 'custom', path: ['layers'], message: 'expected a logreg model to have exactly one (output) layer' });
    }
  });

const numericColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('numeric'),
  median: finite,
  clipLow: finite,
  clipHigh: finite,
  mean: finite,
  std: finite.refine((std) => std > 0, 'expected a positive standard deviation'),
  missingIndicator: z.boolean(),
});

const categoricalColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('categorical'),
  categories: z.array(z.string()),
  unknownSeen: z.boolean(),
});

const booleanColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('boolean'),
  imputed: finite.refine((share) => share >= 0 && share <= 1, 'expected a share between 0 and 1'),
});

const featureSpecSchema = z.strictObject({
  columns: z.array(z.discriminatedUnion('type', [numericColumnSchema, categoricalColumnSchema, booleanColumnSchema])).min(1),
  categoryNormalization: z.strictObject({
    foldCase: z.boolean(),
    aliases: z.array(z.tuple([z.string(), z.string()])),
  }),
  inputSize: z.number().int().positive(),
  baseline: z.array(finite),
});

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), finite, z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const metadataSchema = z.strictObject({
  target: z.string().min(1),
  id: z.string().min(1).nullable(),
  trainedAt: z.iso.datetime(),
  rows: count,
  positiveRate: finite.refine((rate) => rate >= 0 && rate <= 1, 'expected a rate between 0 and 1'),
  threshold: finite.refine((threshold) => threshold >= 0 && threshold <= 1, 'expected a probability between 0 and 1'),
  dataHash: sha256,
  seed: z.number().int(),
  metrics: z.record(z.string(), finite),
  scoreQuantiles: z.array(finite.refine((p) => p >= 0 && p <= 1, 'expected a probability')).min(2),
  options: z.record(z.string(), jsonValue),
});

export const modelFileSchema = z.strictObject({
  format: z.literal('churnkit-model'),
  formatVersion: z.literal(1),
  version: z.string().min(1),
  architecture: architectureSchema,
  featureSpec: featureSpecSchema,
  weights: z.strictObject({
    encoding: z.literal('base64-f32le'),
    count,
    data: z.string(),
  }),
  metadata: metadataSchema,
  checksum: z.strictObject({
    algorithm: z.literal('sha-256'),
    value: sha256,
  }),
});

/** A model file as stored: validated JSON (weights still base64). */
export type ModelFileV1 = z.infer<typeof modelFileSchema>;
/** What the serving side needs to know about how a model was trained. */
export type ModelMetadata = ModelFileV1['metadata'];
export type ModelArchitecture = ModelFileV1['architecture'];
