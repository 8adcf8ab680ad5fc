// A panel plugin's door (ISPmanager's, VDSmanager's): the plugin's own functions answer XML; every other call is an
// after-event on one of the panel's domain functions, answered with the panel's document as it came.
import { asDnsmgrError } from '../errors';
import { parseLangValue } from '../i18n/msg';
import { paramsFromEnv } from '../protocol/params';
import { renderDoc } from '../protocol/render';
import { drainPanelDoc, readPanelDoc } from '../system/stdin';
import { runHook } from './hook';
import type { PanelAdapter } from './adapter';
import { runPanelFunc } from './handlers';
import { PANEL_FUNC_SPECS } from './funcs';

const EMPTY_DOC = '<?xml version="1.0" encoding="UTF-8"?>\n<doc/>\n';

export async function runPanelPlugin(adapter: PanelAdapter, root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const func = env.PARAM_func ?? '';
  if (PANEL_FUNC_SPECS.some((f) => f.name === func)) {
    // The panel's own language: the panels speak more languages than dnsmgr, so one of its others means English here.
    const lang = parseLangValue(env.PARAM_lang ?? '') ?? parseLangValue(env.SESSION_LANG ?? '') ?? 'en';
    // An xml handler reads the page's document even when it has no use for it, as the panel expects.
    void drainPanelDoc();
    try {
      const params = paramsFromEnv(env);
      return renderDoc(await runPanelFunc(adapter, root, func, params, Number(env.AUTH_LEVEL ?? '0')), 'xml', lang);
    } catch (err) {
      return renderDoc({ kind: 'error', error: asDnsmgrError(err) }, 'xml', lang);
    }
  }
  const panelDoc = readPanelDoc();
  let params: Record<string, string>;
  try {
    params = paramsFromEnv(env);
  } catch {
    return panelDoc || EMPTY_DOC;
  }
  return runHook(adapter, root, env, params, panelDoc) || EMPTY_DOC;
}
