/**
 * Browser side of <Table>: the "Data (CSV)" and "Data (JSON)" downloads, built on click from the
 * table's one embedded copy of its data (the JSON download's object, gzipped; figurePayload.ts),
 * with the figures' decoder, CSV writer fields and save helper.
 */
import { saveBlob } from './download';
import { decodeFigurePayload } from './figurePayloadDecode';
import { specOfJson, tableCsv, type TableJson } from './table';

/** What the page embeds per table (Table.astro). */
interface Embedded {
  label: string;
  payload: string;
}

/** Wires every <Table> on the page once. */
export function initTables(): void {
  for (const fig of document.querySelectorAll<HTMLElement>('figure.table-fig[data-table]')) {
    if (fig.dataset.ready) continue;
    fig.dataset.ready = '1';
    const embedded = JSON.parse(fig.querySelector('script.table-data')!.textContent!) as Embedded;
    let decoded: TableJson | null = null;
    const data = (): TableJson => (decoded ??= decodeFigurePayload(embedded.payload) as TableJson);
    fig.querySelectorAll<HTMLButtonElement>('button[data-download]').forEach((b) =>
      b.addEventListener('click', () => {
        const json = data();
        if (b.dataset.download === 'json')
          saveBlob(`${embedded.label}.json`, new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' }));
        else saveBlob(`${embedded.label}.csv`, new Blob([tableCsv(specOfJson(json))], { type: 'text/csv' }));
      }),
    );
  }
}
