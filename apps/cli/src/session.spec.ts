import { UserError } from '@reform/config';
import { PassThrough } from 'node:stream';
import { promptHidden } from './session';

/** A terminal's input as the prompt sees it: raw mode switched by setRawMode, keys as data. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isRaw: false, modes: [] as boolean[] });
  (input as unknown as { setRawMode: (raw: boolean) => void }).setRawMode = (raw: boolean) => {
    input.isRaw = raw;
    input.modes.push(raw);
  };
  let shown = '';
  const output = { write: (s: string) => ((shown += s), true) };
  return { input, output, shown: () => shown };
}

describe('promptHidden', () => {
  it('reads up to Enter in raw mode, echoes nothing typed, honours backspace, and restores the mode', async () => {
    const t = terminal();
    const answer = promptHidden('密码:', t.input as unknown as NodeJS.ReadStream, t.output as unknown as NodeJS.WriteStream);
    t.input.write('s3cretX');
    t.input.write('\u007f!\r');
    await expect(answer).resolves.toBe('s3cret!');
    expect(t.shown()).toBe('密码:\n');
    expect(t.input.modes).toEqual([true, false]);
  });

  it('Ctrl-C gives up with a Chinese sentence', async () => {
    const t = terminal();
    const answer = promptHidden('密码:', t.input as unknown as NodeJS.ReadStream, t.output as unknown as NodeJS.WriteStream);
    t.input.write('abc\u0003');
    await expect(answer).rejects.toEqual(new UserError('已取消'));
    expect(t.input.modes).toEqual([true, false]);
  });
});
