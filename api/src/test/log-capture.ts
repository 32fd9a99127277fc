/** Log lines an API wrote, parsed: pass `stream` as startTestApi's `logDestination` (and LOG_LEVEL in its overrides). */
export interface CapturedLogs {
  lines: Array<Record<string, any>>;
  stream: { write(chunk: string): void };
}

export function captureLogs(): CapturedLogs {
  const lines: Array<Record<string, any>> = [];
  return {
    lines,
    stream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      },
    },
  };
}
