/**
 * Browser: saves a Blob under a file name, from inside the click that asked for it (figure and table
 * downloads, figureClient.ts and tableClient.ts).
 */
export function saveBlob(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the blob after this click returns, later on a busy machine: revoking the URL
  // a second later could cancel the download there. A minute costs only the memory of one file.
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
