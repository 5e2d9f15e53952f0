/**
 * "Did you mean" for a misspelt option: the option an unknown key names when case is
 * ignored (`cacheTTLMs` is `cacheTtlMs`, `holdOutFraction` is `holdoutFraction`), found among
 * the keys the schema takes at the path. Only case: a looser match would guess at
 * what a user meant, and a wrong guess misleads more than none.
 */
import type { z } from './zod.js';

/**
 * The schema's known key that `key` spells with other case, at `path` of `schema`; undefined
 * when there is none (or the schema at that path is not an object).
 *
 * @example
 * suggestedOption(z.strictObject({ cacheTtlMs: z.number() }), [], 'cacheTTLMs'); // 'cacheTtlMs'
 */
export function suggestedOption(schema: z.ZodType, path: readonly PropertyKey[], key: string): string | undefined {
  const known = objectKeysAt(schema, path);
  const folded = key.toLowerCase();
  return known?.find((candidate) => candidate !== key && candidate.toLowerCase() === folded);
}

/** The keys of the object schema at `path`, looking through optional, default, nullable, pipes and arrays. */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (let step = 0; current !== undefined; ) {
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (step === path.length) return def.type === 'object' ? Object.keys(def.shape!) : undefined;
    else if (def.type === 'object') current = def.shape![String(path[step++])];
    else if (def.type === 'array') {
      current = def.element;
      step++;
    } else return undefined;
  }
  return undefined;
}
