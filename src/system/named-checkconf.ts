// named-checkconf: the gate every generated named configuration passes before it replaces the live one.
import { runTool } from './run-tool';

export async function namedCheckconf(tool: string, file: string): Promise<void> {
  await runTool(tool, [file]);
}
