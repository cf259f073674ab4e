import { useEffect, useState } from "preact/hooks";

/** Client-side navigation: the server answers every app path with the same page. */
export function navigate(path: string): void {
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return path;
}

/** Links inside the app navigate without reloading; other links (downloads, new tabs) behave as usual. */
export function interceptLinks(event: MouseEvent): void {
  const link = (event.target as Element).closest?.("a");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const href = link.getAttribute("href");
  if (!href?.startsWith("/") || href.startsWith("/api/") || link.hasAttribute("download")) return;
  event.preventDefault();
  const url = new URL(href, location.href);
  navigate(url.pathname + url.hash);
  if (url.hash)
    requestAnimationFrame(() => document.getElementById(decodeURIComponent(url.hash.slice(1)))?.scrollIntoView());
}
