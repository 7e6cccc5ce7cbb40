/**
 * Minimal strict flag parser for the CLI: `--name value`, `--name=value`, boolean `--flag`.
 * Unknown flags, missing values and stray positional arguments are usage errors.
 */
import { UsageError } from "./io";

/** Declaration of one flag. */
export interface FlagSpec {
  type: "string" | "number" | "boolean";
  /** Shown in --help. */
  description: string;
  required?: boolean;
  /** Placeholder in --help (e.g. "FILE"). */
  value?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type ParsedFlags = Record<string, string | number | boolean | undefined>;

/** Parses `argv` against `specs`; `--help`/`-h` is always accepted (returns { help: true }). */
export function parseFlags(argv: readonly string[], specs: FlagSpecs): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { help: true };
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (spec.type === "boolean") {
      if (eq >= 0) throw new UsageError(`flag --${name} takes no value`);
      out[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith("--") && argv[i + 1].length > 2)) {
        throw new UsageError(`flag --${name} needs a value`);
      }
      value = argv[++i];
    }
    if (spec.type === "number") {
      const v = Number(value);
      if (value.trim() === "" || !Number.isFinite(v))
        throw new UsageError(`flag --${name} must be a number, got "${value}"`);
      out[name] = v;
    } else out[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && out[name] === undefined) throw new UsageError(`missing required flag --${name}`);
  }
  return out;
}

/** Help text for a command from its flag specs. */
export function helpText(usage: string, summary: string, specs: FlagSpecs): string {
  const lines = [`Usage: ${usage}`, "", summary, "", "Options:"];
  for (const [name, s] of Object.entries(specs)) {
    const left = `  --${name}${s.type === "boolean" ? "" : ` ${s.value ?? s.type.toUpperCase()}`}`;
    lines.push(`${left.padEnd(30)} ${s.description}${s.required ? " (required)" : ""}`);
  }
  lines.push(`${"  --help".padEnd(30)} Show this help`);
  return lines.join("\n") + "\n";
}

/** Parses a YYYY-MM-DD flag value into a day number. */
export function dayFlag(
  name: string,
  value: string | number | boolean | undefined,
  parse: (t: string) => number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new UsageError(`flag --${name} must be a date YYYY-MM-DD, got "${String(value)}"`);
  try {
    return parse(value);
  } catch {
    throw new UsageError(`flag --${name} is not a valid date: "${value}"`);
  }
}
