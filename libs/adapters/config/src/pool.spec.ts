import { inPool } from './pool';

describe('inPool', () => {
  it('runs every item once with at most n in flight', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await inPool([1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5 * (x % 3)));
      seen.push(x);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('stops taking items after a failure and rejects with it', async () => {
    const seen: number[] = [];
    const run = inPool([1, 2, 3, 4, 5], 1, async (x) => {
      seen.push(x);
      if (x === 2) throw new Error('第 2 项失败');
    });
    await expect(run).rejects.toThrow('第 2 项失败');
    expect(seen).toEqual([1, 2]);
  });

  it('does nothing for no items', async () => {
    await expect(inPool([], 4, async () => { throw new Error('不应调用'); })).resolves.toBeUndefined();
  });
});
