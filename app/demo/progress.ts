/** Console progress lines for the demo (a bar on a TTY, throttled plain lines otherwise). */

/** Renders "[#####.....]  45%". */
export function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const n = Math.round(f * width);
  return `[${"#".repeat(n)}${".".repeat(width - n)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

/** A progress printer for one step; `done()` ends the line. */
export function progressPrinter(out: NodeJS.WriteStream = process.stdout) {
  const tty = Boolean(out.isTTY);
  let last = "";
  let lastAt = 0;
  return {
    update(text: string) {
      if (text === last) return;
      const now = Date.now();
      if (tty) out.write(`\r\x1b[2K${text}`);
      else if (now - lastAt > 3000) {
        out.write(`${text}\n`);
        lastAt = now;
      }
      last = text;
    },
    done(text: string) {
      out.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
      last = "";
    },
  };
}
