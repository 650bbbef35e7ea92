import type { Request, Response } from 'express';
import { Injectable } from '@nestjs/common';
import { idSchema } from '@printfleet/contracts';
import type { Principal } from '../../auth/principal';
import { forbidden, invalidInput, notFound } from '../../errors/gateway-error';
import { FileUploadRelay } from '../../jobs/file-upload.relay';
import { FilesService, type FileSummary } from '../../jobs/files.service';
import { JobsService } from '../../jobs/jobs.service';
import { sniffFormFields } from './form-fields';

export interface SlicerUpload {
  file: FileSummary;
  duplicate: boolean;
  fields: Record<string, string>;
  /** The job made because the slicer asked to print; none when it only uploaded. */
  job?: { id: string; state: string; printerId: string | null };
}

/**
 * What the slicer endpoints share: the upload streamed through the gateway's one upload relay
 * (never held whole), its small fields read on the side, and "print" turned into a printfleet
 * job: for the printer of the per-printer URL or of the API key's scope, else the fleet queue.
 */
@Injectable()
export class SlicerUploads {
  constructor(
    private readonly relay: FileUploadRelay,
    private readonly files: FilesService,
    private readonly jobs: JobsService,
  ) {}

  /**
   * The printer a slicer call is about: the per-printer base URL (`/printers/{id}/…`), else the
   * API key's printer; null: the fleet. A key scoped to one printer cannot address another.
   */
  target(caller: Principal, fromUrl: string | undefined): string | null {
    if (fromUrl !== undefined) {
      if (!idSchema.safeParse(fromUrl).success) throw invalidInput(`"${fromUrl}" is not a printer id`);
      if (caller.printerScope && caller.printerScope !== fromUrl)
        throw forbidden(`this API key is for printer ${caller.printerScope}, not ${fromUrl}`);
      return fromUrl;
    }
    return caller.printerScope ?? null;
  }

  /** Streams the file to the job-service; with `print` (`wantsPrint(fields)`), queues it. */
  async upload(
    caller: Principal,
    req: Request,
    res: Response,
    printerId: string | null,
    wantsPrint: (fields: Record<string, string>) => boolean,
  ): Promise<SlicerUpload> {
    // Both readers attach in this tick, before the body starts to flow.
    const sniffer = sniffFormFields(req);
    const answer = await this.relay.relay(req, res, caller.name, '');
    const fields = await sniffer.done;
    const { file, duplicate } = answer.body as { file: FileSummary; duplicate: boolean };
    const upload: SlicerUpload = { file, duplicate, fields };
    if (wantsPrint(fields)) upload.job = await this.queue(caller, file.id, printerId);
    return upload;
  }

  /** A print of a file already uploaded, found by the name the slicer knows it by. */
  async printByName(caller: Principal, name: string, printerId: string | null) {
    const file = await this.byName(caller, name);
    return { file, job: await this.queue(caller, file.id, printerId) };
  }

  /** The newest library file of exactly this name. */
  async byName(caller: Principal, name: string): Promise<FileSummary> {
    const list = (await this.files.list(caller, { search: name, limit: '200' })) as { items: FileSummary[] };
    const found = list.items.find((f) => f.name === name);
    if (!found) throw notFound('file', name);
    return found;
  }

  private async queue(caller: Principal, fileId: string, printerId: string | null) {
    const created = (await this.jobs.create(caller, { fileId, printerId })) as {
      jobs: { id: string; state: string; printerId?: string | null }[];
    };
    const job = created.jobs[0]!;
    return { id: job.id, state: job.state, printerId };
  }
}
