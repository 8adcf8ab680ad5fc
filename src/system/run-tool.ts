// Runs a system tool with an argument array (never a shell) and turns any failure into a ToolError.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  timeoutMs?: number;
  input?: string;
  /** How errors name the call; default: the file and its first arguments. */
  label?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function runTool(file: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolResult> {
  // execa is loaded on first use: requests that run no tool (lists, forms) do not pay for it at start-up.
  const { execa } = await import('execa');
  const label = opts.label ?? `${file} ${args.slice(0, 6).join(' ')}`.trim();
  const result = await execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    stripFinalNewline: true,
    env: { LC_ALL: 'C' },
  });
  if (result.timedOut) throw new ToolError(label, undefined, String(result.stderr ?? ''), msg`timed out after ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`);
  if (result.failed) {
    const stderr = String(result.stderr || result.stdout || (result as { shortMessage?: string }).shortMessage || '');
    throw new ToolError(label, result.exitCode, stderr);
  }
  return { stdout: String(result.stdout), stderr: String(result.stderr) };
}
