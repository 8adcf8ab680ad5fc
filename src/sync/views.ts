// Carries the namespaces in the database to the name server's views, the newest state winning over concurrent writers.
import type { App } from '../funcs/app';
import { msg } from '../i18n/msg';
import { InternalError } from '../errors';
import { listNamespaces, viewsGeneration } from '../store/namespaces';
import { writeTx } from '../store/db';
import type { ViewSpec } from '../dns/backend';

export async function syncViews(app: App): Promise<void> {
  const { db, backend } = app;
  for (let attempt = 0; attempt < 10; attempt++) {
    const { generation, views } = db.transaction(() => ({
      generation: viewsGeneration(db),
      views: listNamespaces(db).map((n): ViewSpec => ({ name: n.name, ips: n.ips, allowTransfer: allowTransferList(n.allowTransfer) })),
    }))();
    // The rename happens under the write lock, only if nobody changed the namespaces since this render.
    const result = await backend.applyViews(views, (replace) =>
      writeTx(db, () => {
        if (viewsGeneration(db) !== generation) return false;
        replace();
        return true;
      }));
    if (result !== 'stale') return;
  }
  throw new InternalError(msg`the namespaces kept changing while their configuration was written; try again`);
}

/** The stored text (formatAllowTransfer: "none", "any", or entries joined by ", ") as the view's address match list. */
function allowTransferList(text: string): string[] {
  if (text === 'none' || text === '') return [];
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
