/**
 * Streams the lines of a bulk-operation result file (JSONL) without loading it into memory.
 * Bulk result URLs are pre-signed; no token is sent.
 */

/** Reads a URL line by line (empty lines skipped are still counted by callers via their index). */
export async function* fetchLines(url: string, fetchImpl: typeof fetch = fetch): AsyncGenerator<string> {
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(10 * 60_000) });
  if (!res.ok || !res.body) throw new Error(`bulk result download failed: HTTP ${res.status}`);
  yield* splitLines(res.body);
}

/** Splits a byte stream into lines (handles \r\n and a missing final newline). */
export async function* splitLines(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, "");
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.decode();
  if (rest.length) yield rest.replace(/\r$/, "");
}
