// The one place the web app talks to the server: JSON calls with the token (never a cookie), file
// downloads, uploads with progress and the run's event stream.

const TOKEN_KEY = "listing-audit-token";

/** A token in the address (`#token=…`, as `serve` prints it) is kept for this tab and removed from the address. */
export function captureToken(): void {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

function authHeaders(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

export interface LocatedError {
  file: string;
  line?: number;
  key: string;
  message: string;
  zh?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: LocatedError[],
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  const body = await response.json().catch(() => undefined);
  return new ApiError(response.status, body?.error?.message ?? response.statusText, body?.error?.errors ?? []);
}

export async function api<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await failure(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Downloads a URL of the API as a file (a link cannot carry the token header). */
export async function download(url: string, fileName: string): Promise<void> {
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) throw await failure(response);
  saveBlob(await response.blob(), fileName);
}

export function saveBlob(blob: Blob, fileName: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Sends a multipart form, reporting the fraction uploaded. */
export function upload<T>(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = JSON.parse(request.responseText || "{}");
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else
        reject(new ApiError(request.status, body?.error?.message ?? String(request.status), body?.error?.errors ?? []));
    };
    request.onerror = () => reject(new ApiError(0, "network error", []));
    request.send(form);
  });
}

/**
 * Reads a server-sent events stream with fetch (EventSource cannot send the token header) and calls
 * `onEvent` with each event's data until the stream ends.
 */
export async function readEvents(url: string, onEvent: (data: unknown) => void, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, { headers: authHeaders(), ...(signal ? { signal } : {}) });
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (data) onEvent(JSON.parse(data));
      end = buffer.indexOf("\n\n");
    }
  }
}
