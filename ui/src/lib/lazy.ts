// Screens loaded on demand: the first screen (the meeting list) does not
// need the meeting page, the forms or the settings, so the start-up bundle
// leaves them out (Vite splits each dynamic `import()` into its own chunk).

/**
 * A loader that imports its module once. Until the module has loaded it
 * answers the promise of it; after that the module's default export itself,
 * so a screen opened again shows at once (`{#await}` renders a value that is
 * not a promise without waiting). A failed load is tried again next time.
 */
export function lazy<T>(load: () => Promise<{ default: T }>): () => T | Promise<T> {
  let loaded: { value: T } | null = null;
  let loading: Promise<T> | null = null;
  return () => {
    if (loaded) return loaded.value;
    loading ??= load().then(
      (module) => {
        loaded = { value: module.default };
        return module.default;
      },
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };
}
