import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#docket/platform';
import { ASSETS_DIR } from '../paths.js';

const ASSET = /^[a-z0-9-]+\.(css|js|svg|ico)$/;

/** The stylesheet and script of the pages (CSP allows scripts from this site only). */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Public()
  @Get(':name')
  file(@Param('name') name: string, @Res() res: Response): void {
    if (!ASSET.test(name)) throw new NotFoundException('There is no such file.');
    res.sendFile(name, { root: ASSETS_DIR, dotfiles: 'deny', maxAge: '1h' }, (error) => {
      if (error && !res.headersSent) res.status(404).type('text/plain').send('Not found');
    });
  }
}
