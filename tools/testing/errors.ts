/** Runs `fn` and asserts it throws exactly `message` (not merely a message containing it). */
export function expectError(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof Error)) throw new Error(`expected an Error with the message\n  ${message}\ngot ${String(err)}`);
    if (err.message !== message) throw new Error(`expected the error\n  ${message}\ngot\n  ${err.message}`);
    return;
  }
  throw new Error(`expected the error\n  ${message}\nbut nothing was thrown`);
}
