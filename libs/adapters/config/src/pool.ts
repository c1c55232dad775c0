/**
 * Runs `work` over `items` with at most `n` at a time (each worker takes the next item when its
 * last one is done); rejects with the first failure after the running ones settle.
 */
export async function inPool<T>(items: readonly T[], n: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, n), items.length) }, async () => {
      while (!failed && next < items.length) {
        const i = next++;
        try {
          await work(items[i], i);
        } catch (error) {
          failed ??= { error };
        }
      }
    }),
  );
  if (failed) throw failed.error;
}
