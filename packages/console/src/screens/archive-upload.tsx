import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArchiveListing, LocalArchive } from '@waypost/schema';
import { useId, useRef, useState } from 'react';
import { ApiRequestError, csrfHeaders, errorMessage, request } from '../api.js';
import { canWrite, useCurrentSession } from '../session.js';
import './local-files.css';
import { idPath } from './campaign-shared.js';

type Owner = { kind: 'lander' | 'offer'; id: string; archive: LocalArchive | null };

const ownerPath = (owner: Owner) => `${idPath(owner.kind === 'lander' ? '/v1/landers' : '/v1/offers', owner.id)}/archive`;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Sends the zip with XMLHttpRequest rather than fetch: fetch reports no upload progress, and archives reach 50 MB.
 * Errors come back as the `ApiRequestError` every other request throws, so the server's 422 reads the same way.
 */
export function uploadArchive(path: string, file: File, onProgress: (fraction: number) => void): Promise<ArchiveListing> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', new URL(path, window.location.origin).toString());
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/zip');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        // Not JSON (a proxy's page): reported by status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as ArchiveListing);
      const error = (body as { error?: { code?: string; message?: string; issues?: never[] } } | undefined)?.error;
      reject(new ApiRequestError(xhr.status, error?.code ?? `http_${xhr.status}`, error?.message ?? `The server answered ${xhr.status}.`, error?.issues ?? []));
    });
    xhr.addEventListener('error', () => reject(new ApiRequestError(0, 'network_error', 'The server could not be reached. Check your connection and try again.')));
    xhr.send(file);
  });
}

/** The archive section of a lander's or an offer's page: upload with progress, the file list, a preview and delete. */
export function ArchivePanel({ owner }: { owner: Owner }) {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const path = ownerPath(owner);
  const listKey = [owner.kind === 'lander' ? 'landers' : 'offers', owner.id, 'archive'];
  const listing = useQuery({ queryKey: listKey, queryFn: () => request<ArchiveListing>('GET', path), enabled: owner.archive !== null });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: [owner.kind === 'lander' ? 'landers' : 'offers'] });
    // The offer page reads its offer under `['offer', id]`.
    if (owner.kind === 'offer') await queryClient.invalidateQueries({ queryKey: ['offer', owner.id] });
  };
  const upload = useMutation({
    mutationFn: (file: File) => uploadArchive(path, file, setProgress),
    onMutate: () => setProgress(0),
    onSuccess: async (saved) => {
      queryClient.setQueryData(listKey, saved);
      if (input.current) input.current.value = '';
      await refresh();
    },
    onSettled: () => setProgress(null),
  });
  const remove = useMutation({
    mutationFn: () => request<void>('DELETE', path),
    onSuccess: async () => {
      setConfirming(false);
      upload.reset();
      queryClient.removeQueries({ queryKey: listKey });
      await refresh();
    },
  });
  const current = upload.data ?? (owner.archive ? listing.data : undefined);
  const writable = canWrite(session);
  return (
    <section className="archive-panel stack" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Uploaded page</h2>
      <p className="field-hint">
        A zip with an <code>index.html</code> at its root, served by the tracker itself. In its HTML files <code>{'{click_url}'}</code> and the click macros are
        filled in; other files are served as they are.
      </p>
      {writable ? (
        <form
          className="archive-upload"
          onSubmit={(event) => {
            event.preventDefault();
            const file = input.current?.files?.[0];
            if (file) upload.mutate(file);
          }}
        >
          <label htmlFor={inputId}>Archive (zip)</label>
          <input id={inputId} ref={input} type="file" accept=".zip,application/zip" required disabled={upload.isPending} />
          <button type="submit" className="button button-primary" disabled={upload.isPending}>
            Upload archive
          </button>
          {progress !== null ? <progress aria-label="Upload progress" max={1} value={progress} /> : null}
          {upload.isError ? (
            <p role="alert" className="alert alert-error">
              The archive was not uploaded: {errorMessage(upload.error)}
            </p>
          ) : null}
          {upload.isSuccess ? <p role="status">Archive uploaded.</p> : null}
        </form>
      ) : null}
      {owner.archive === null && !upload.data ? <p>No archive uploaded: the {owner.kind} uses its URL.</p> : null}
      {owner.archive !== null && listing.isPending && !upload.data ? <p role="status">Loading the files…</p> : null}
      {listing.isError && !upload.data ? <p role="alert">The file list could not be loaded: {errorMessage(listing.error)}</p> : null}
      {current ? (
        <>
          <p>
            {current.files} {current.files === 1 ? 'file' : 'files'}, {formatBytes(current.bytes)}.{' '}
            <a href={current.url} target="_blank" rel="noopener noreferrer">
              Preview
            </a>
          </p>
          <div className="table-scroll">
            <table className="data-table" aria-label="Files">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Size</th>
                  <th scope="col">Type</th>
                  <th scope="col">Macros</th>
                </tr>
              </thead>
              <tbody>
                {current.fileList.map((file) => (
                  <tr key={file.path}>
                    <td data-label="Path" className="break">
                      {file.path}
                    </td>
                    <td data-label="Size">{formatBytes(file.bytes)}</td>
                    <td data-label="Type">{file.contentType}</td>
                    <td data-label="Macros">{file.expandsMacros ? 'Filled in' : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {writable ? (
            confirming ? (
              <div className="confirm" role="group" aria-label="Delete the archive?">
                <span>Delete the archive? The {owner.kind} goes back to its URL.</span>
                <button type="button" className="button button-danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                  Delete
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  Keep
                </button>
                {remove.isError ? <span role="alert">{errorMessage(remove.error)}</span> : null}
              </div>
            ) : (
              <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
                Delete archive
              </button>
            )
          ) : null}
        </>
      ) : null}
    </section>
  );
}
