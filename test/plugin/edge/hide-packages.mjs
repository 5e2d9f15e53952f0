// Node module hooks that make the packages named in CHURNKIT_HIDDEN_PACKAGES (comma-separated)
// unresolvable, as in a project that did not install them.
export async function resolve(specifier, context, nextResolve) {
  const hidden = (process.env.CHURNKIT_HIDDEN_PACKAGES ?? '').split(',');
  if (hidden.includes(specifier)) {
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}
