import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOperation,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DeadlinesService, targetOf, uuidPipe } from '#docket/deadlines';
import { ApiProblems, Authenticated, CASE_WRITERS, Roles } from '#docket/platform';
import { InquiryRequest, OutboxListQuery, PreviewRequest, QuestionRequest, TemplateVersionRequest } from './dto.js';
import { QuestionsService } from './questions.service.js';
import { InquiriesService } from './inquiries.service.js';
import { OutboxService } from './outbox.service.js';
import { TemplateRegistry } from './template-registry.js';
import { inquiryView, outboxView, templateView } from './views.js';

@ApiTags('templates')
@Authenticated()
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
  ) {}

  @Get()
  @ApiOkResponse({ description: '[{key, version, locales, questions: [{id, topic, text}]}]' })
  async list() {
    const bank = await this.templates.bankFor();
    return (await this.templates.list()).map((template) => templateView(template, bank));
  }

  @Get(':key')
  async get(@Param('key') key: string) {
    const template = await this.templates.resolve(key);
    return { ...templateView(template, await this.templates.bankFor()), sources: template.sources };
  }

  // Rendering is the costliest thing a request can ask for: those who may send letters may preview them.
  @Roles(...CASE_WRITERS)
  @Post(':key/preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '{subject, html, text, dueDate, dueAt}: the letter exactly as it would be sent now' })
  @ApiBadRequestResponse({
    description: 'The template cannot be rendered: an error, or a limit on time or size exceeded (said in the message)',
  })
  @ApiForbiddenResponse({ description: 'Viewers cannot preview letters' })
  preview(@Param('key') key: string, @Body() body: PreviewRequest) {
    return this.inquiries.preview(key, body.caseId, body.locale, {
      questionIds: body.questionIds,
      deadline: body.deadline ? targetOf(body.deadline) : undefined,
    });
  }

  @Roles('admin')
  @Post(':key/versions')
  @ApiOkResponse({ description: 'The new version, now in use by your authority' })
  @ApiBadRequestResponse({
    description:
      'Nothing saved: the template has errors or does not render with the sample case within the limits on time and size',
  })
  async saveVersion(@Param('key') key: string, @Body() body: TemplateVersionRequest) {
    const saved = await this.templates.saveVersion(key, body);
    return templateView(saved, await this.templates.bankFor());
  }
}

@ApiTags('questions')
@Authenticated()
@Controller('api/v1/questions')
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Get()
  @ApiOkResponse({
    description:
      '[{id, topic, text, source: shared|authority, version?, retired?, updatedBy?, updatedAt?}]: the shared bank (read-only), then the questions of your authority',
  })
  list() {
    return this.questions.list();
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The question; for one of your authority also `versions`, oldest first' })
  @ApiNotFoundResponse({ description: 'Neither in the shared bank nor in your authority' })
  get(@Param('id') id: string) {
    return this.questions.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ description: 'The question, version 1, usable in your letters at once' })
  @ApiBadRequestResponse({
    description: "Nothing saved: a bad id, topic or language code, or no text in your authority's language",
  })
  @ApiConflictResponse({ description: 'Your authority has (or had, now retired) a question with this id' })
  create(@Body() body: QuestionRequest) {
    return this.questions.create(body);
  }

  @Roles('admin')
  @Put(':id')
  @ApiOkResponse({ description: 'The new version, in use for new letters; letters already sent keep their text' })
  @ApiBadRequestResponse({
    description: "Nothing saved: a bad topic or language code, or no text in your authority's language",
  })
  @ApiNotFoundResponse({ description: 'No such question in your authority' })
  @ApiConflictResponse({ description: 'A question of the shared bank, or a retired one' })
  update(@Param('id') id: string, @Body() body: QuestionRequest) {
    return this.questions.update(id, body);
  }

  @Roles('admin')
  @Delete(':id')
  @ApiOkResponse({ description: 'The question, retired: no new letter asks it; sent letters and answers keep it' })
  @ApiNotFoundResponse({ description: 'No such question in your authority' })
  @ApiConflictResponse({ description: 'A question of the shared bank' })
  retire(@Param('id') id: string) {
    return this.questions.retire(id);
  }
}

@ApiTags('inquiries')
@Authenticated()
@Controller('api/v1')
export class InquiriesController {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly deadlines: DeadlinesService,
  ) {}

  @Roles(...CASE_WRITERS)
  @Post('cases/:id/inquiries')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: '{id, status: "queued", deadline: {id, dueDate, dueAt}}' })
  @ApiNotFoundResponse({ description: 'No such case in your authority, or no such template' })
  async create(@Param('id', uuidPipe) caseId: string, @Body() body: InquiryRequest) {
    const { inquiry, deadline } = await this.inquiries.create(caseId, { ...body, deadline: targetOf(body.deadline) });
    return inquiryView(inquiry, deadline);
  }

  @Get('inquiries/:id')
  @ApiOkResponse({ description: '{id, status, sentAt, messageId, subject, to, questions, deadline}' })
  @ApiNotFoundResponse()
  async get(@Param('id', uuidPipe) id: string) {
    const inquiry = await this.inquiries.get(id);
    const deadline = inquiry.deadlineId ? await this.deadlines.get(inquiry.deadlineId) : null;
    return inquiryView(inquiry, deadline);
  }
}

@ApiTags('outbox')
@Authenticated()
@Roles('admin', 'manager', 'officer')
@Controller('api/v1/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({
    summary:
      'Messages sent by your authority, newest first (sort: createdAt, sentAt, status, subject), filtered by status, kind or case',
  })
  @ApiOkResponse({ description: '{transport, items, nextCursor, prevCursor}; limit 1–500, default 100' })
  @ApiProblems(400)
  async list(@Query() query: OutboxListQuery) {
    const page = await this.outbox.page(query);
    return {
      transport: this.outbox.transportDescription,
      items: page.items.map((message) => outboxView(message)),
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
    };
  }

  @Get(':id')
  async get(@Param('id', uuidPipe) id: string) {
    return outboxView(await this.outbox.get(id), true);
  }

  @Get(':id/eml')
  @ApiOkResponse({ description: 'The message as written by the embedded file transport (message/rfc822)' })
  async eml(@Param('id', uuidPipe) id: string, @Res() response: Response) {
    const raw = await this.outbox.eml(id);
    if (!raw) throw new NotFoundException('This message was not written by the file transport, or its file is gone.');
    response.type('message/rfc822').send(raw);
  }
}
