import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { forbidden } from '../errors/gateway-error';
import { jobPermission } from './job-permission';
import { JobServiceClient } from './job-service-client';

/** What the job-service answers for one file (the fields the gateway looks at). */
export interface FileSummary {
  id: string;
  name: string;
  uploadedBy: string;
  [key: string]: unknown;
}

const LIST_PARAMS = ['search', 'folder', 'limit', 'offset'] as const;

/** The file library, through the job-service, with the gateway's role rules. */
@Injectable()
export class FilesService {
  constructor(private readonly client: JobServiceClient) {}

  async list(caller: Principal, query: Record<string, unknown>) {
    return (await this.client.json('GET', `/files${pick(query, LIST_PARAMS)}`, caller.name)).body;
  }

  async get(caller: Principal, id: string): Promise<FileSummary> {
    return (await this.client.json<FileSummary>('GET', `/files/${enc(id)}`, caller.name)).body;
  }

  async delete(caller: Principal, id: string) {
    const file = caller.role === 'maker' ? await this.get(caller, id) : undefined;
    const allowed = jobPermission(caller.role, 'delete-file', caller.name, file?.uploadedBy);
    if (!allowed.allowed) throw forbidden(allowed.reason);
    return (await this.client.json('DELETE', `/files/${enc(id)}`, caller.name)).body;
  }
}

export const enc = (id: string) => encodeURIComponent(id);

/** The query string for the job-service: only the parameters it knows, each once, as text. */
export function pick(query: Record<string, unknown>, names: readonly string[]): string {
  const out = new URLSearchParams();
  for (const name of names) {
    const v = query[name];
    if (typeof v === 'string' && v !== '') out.set(name, v);
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}
