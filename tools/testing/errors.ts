/** Runs `fn` and asserts it throws exactly `message` (not merely a message containing it). */
export function expectError(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toBe(message);
}
