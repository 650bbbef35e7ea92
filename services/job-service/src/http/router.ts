import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Who asked: the gateway passes its authenticated user in `X-Requested-By`. */
  actor: string;
}

export type RouteHandler = (ctx: RequestContext) => Promise<unknown>;

export interface Route {
  method: string;
  /** `/files/:id/thumbnail`; a `:name` segment matches one path segment. */
  path: string;
  /** Auth other than the bearer token (the signed download link). */
  public?: boolean;
  handler: RouteHandler;
}

/** A tiny method + path matcher: enough for an internal API of a few dozen routes. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return true;
      }
      return seg === part;
    });
    if (ok) return { route, params };
  }
  return null;
}
