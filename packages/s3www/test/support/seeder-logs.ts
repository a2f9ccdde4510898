/** The seeder's JSON log lines, caught in process. */

/**
 * Runs `run` with stdout caught, and returns its result or the error it threw, with the JSON lines the
 * seeder logged meanwhile. (`error` is `any`: the tests read the seeder's own error fields from it.)
 */
export async function logsOf<T>(run: () => Promise<T>): Promise<{ result?: T; error?: any; logs: Array<Record<string, unknown>> }> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { result: await run(), logs: lines.map((l) => JSON.parse(l)) };
  } catch (error) {
    return { error, logs: lines.map((l) => JSON.parse(l)) };
  } finally {
    write.mockRestore();
  }
}
