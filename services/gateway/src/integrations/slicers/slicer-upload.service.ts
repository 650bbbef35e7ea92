import type { Request, Response } from 'express';
import { Injectable } from '@nestjs/common';
import { idSchema } from '@printfleet/contracts';
import type { Principal } from '../../auth/principal';
import { forbidden, invalidInput, notFound } from '../../errors/gateway-error';
import { FileUploadRelay } from '../../jobs/file-upload.relay';
import { FilesService, type FileSummary } from '../../jobs/files.service';
import { JobsService } from '../../jobs/jobs.service';
import { fieldsBeforeFile, sniffFormFields } from './form-fields';

export interface SlicerUpload {
  /** The library's record; `folder` is where the file is (for a duplicate: where it was first put). */
  file: FileSummary & { folder?: string | null };
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

  /**
   * Streams the file to the job-service; with `print` (`wantsPrint(fields)`), queues it. With
   * `folderOf`, the fields sent before the file are read first and name the file's folder in the
   * library (the job-service records it with the file); a refused folder stops the upload before
   * anything is stored.
   */
  async upload(
    caller: Principal,
    req: Request,
    res: Response,
    printerId: string | null,
    wantsPrint: (fields: Record<string, string>) => boolean,
    folderOf?: (fieldsBeforeFile: Record<string, string>) => string | null,
  ): Promise<SlicerUpload> {
    let query = '';
    if (folderOf) {
      const head = await fieldsBeforeFile(req);
      let folder: string | null;
      try {
        folder = folderOf(head);
      } catch (err) {
        // Answered at once; the rest of the body is read away and the connection closed.
        res.setHeader('Connection', 'close');
        req.resume();
        throw err;
      }
      if (folder) query = `?folder=${encodeURIComponent(folder)}`;
    }
    // Both readers attach in this tick, before the body starts to flow.
    const sniffer = sniffFormFields(req);
    const answer = await this.relay.relay(req, res, caller.name, query);
    const fields = await sniffer.done;
    const { file, duplicate } = answer.body as { file: FileSummary; duplicate: boolean };
    const upload: SlicerUpload = { file, duplicate, fields };
    if (wantsPrint(fields)) upload.job = await this.queue(caller, file.id, printerId);
    return upload;
  }

  /** A print of a file already uploaded, found by the name (and folder) the slicer knows it by. */
  async printByName(caller: Principal, name: string, printerId: string | null, folder?: string | null) {
    const file = await this.byName(caller, name, folder);
    return { file, job: await this.queue(caller, file.id, printerId) };
  }

  /** The newest library file of exactly this name: in `folder` when given, else in any folder. */
  async byName(caller: Principal, name: string, folder?: string | null): Promise<FileSummary> {
    const query = { search: name, limit: '200', ...(folder ? { folder } : {}) };
    const list = (await this.files.list(caller, query)) as { items: (FileSummary & { folder?: string | null })[] };
    const found = list.items.find((f) => f.name === name && (!folder || f.folder === folder));
    if (!found) throw notFound('file', folder ? `${folder}/${name}` : name);
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
