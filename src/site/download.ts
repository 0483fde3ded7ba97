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
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
