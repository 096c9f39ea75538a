/** The state of a library as the client shows it, counted over the diagnostics the server publishes. */
import type { TrellisLibrary } from './core/library';
import type { LibraryStatus } from './protocol';
import type { FolderSettings } from './settings';

export function libraryStatus(library: TrellisLibrary, state: LibraryStatus['state'], settings: FolderSettings): LibraryStatus {
  let errors = 0;
  let warnings = 0;
  const byCode: Record<string, number> = {};
  // While indexing, the counts would describe half a library.
  if (state === 'ready') {
    for (const uri of [...library.index.uris(), library.configUri]) {
      for (const d of settings.diagnostics(library, uri)) {
        if (d.severity === 1) errors++;
        else if (d.severity === 2) warnings++;
        const code = String(d.code ?? 'other');
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
    }
  }
  const diagnosticsEnabled = settings.of(library.rootUri).diagnostics.enable;
  return { rootUri: library.rootUri, state, patterns: library.index.size, errors, warnings, byCode, diagnosticsEnabled };
}
