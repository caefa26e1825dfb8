import { Body, Controller, Get, HttpCode, Post, Put, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated, CASE_WRITERS, Roles, UuidParam } from '#docket/platform';
import { AnswersComparedService } from './answers-compared.service.js';
import {
  AnswerSharingRequest,
  AnswersComparedDoc,
  InconsistencyRequest,
  JointDeadlineDoc,
  JointDeadlineRequest,
  JointRealignRequest,
  StoredJointDeadlineDoc,
  StoredJointDeadlineRequest,
  OpenProcedureRequest,
  ProcedureDoc,
  ProcedureDocumentRequest,
  ProcedureMessageRequest,
  ProcedureStepRequest,
  ServiceAttemptRequest,
} from './dto.js';
import { JointDeadlinesService } from './joint-deadlines.service.js';
import { ProceduresService } from './procedures.service.js';
import { ServiceAttemptsService } from './service-attempts.service.js';

@ApiTags('cooperation')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class ProceduresController {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly jointDeadlines: JointDeadlinesService,
  ) {}

  @Roles(...CASE_WRITERS)
  @Post('procedures')
  @ApiOperation({
    summary: 'Open a cooperation procedure with other authorities',
    description:
      'Mutual assistance (GDPR Art. 61), joint operation (Art. 62), lead authority (Art. 56/60), urgency (Art. 66), ' +
      'and from 2 April 2027 the Regulation (EU) 2025/2518 kinds. Statutory clocks run on the calendar of the ' +
      'authority that must act; every participant is told and the opening is in every participant’s audit trail.',
  })
  @ApiCreatedResponse({ type: ProcedureDoc })
  @ApiProblems(400, 404)
  open(@Body() body: OpenProcedureRequest) {
    return this.procedures.open(body);
  }

  @Get('procedures')
  @ApiOperation({ summary: 'Your authority’s cooperation inbox: procedures it takes part in, its own clocks first' })
  inbox() {
    return this.procedures.inbox();
  }

  @Get('procedures/:id')
  @ApiOperation({ summary: 'A procedure you take part in: participants, steps, messages and clocks' })
  @ApiOkResponse({ type: ProcedureDoc })
  @ApiProblems(404)
  get(@UuidParam() id: string) {
    return this.procedures.get(id);
  }

  @Roles(...CASE_WRITERS)
  @Post('procedures/:id/steps')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Take a formal step: reply, draft or revised draft decision, objection, decision, transmission, extension',
    description:
      'A draft decision opens four weeks for objections (two for a revised draft); objections after the window are refused.',
  })
  @ApiCreatedResponse({ type: ProcedureDoc })
  @ApiProblems(400, 404, 409)
  step(@UuidParam() id: string, @Body() body: ProcedureStepRequest) {
    return this.procedures.addStep(id, body.kind, body.body);
  }

  @Roles(...CASE_WRITERS)
  @Post('procedures/:id/messages')
  @HttpCode(201)
  @ApiOperation({ summary: 'Send a message to the other participants (in every participant’s audit trail)' })
  @ApiCreatedResponse({ type: ProcedureDoc })
  @ApiProblems(400, 404)
  message(@UuidParam() id: string, @Body() body: ProcedureMessageRequest) {
    return this.procedures.addMessage(id, body.body);
  }

  @Roles(...CASE_WRITERS)
  @Post('procedures/:id/documents')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Share one of your authority’s documents into the procedure (every participant may read it)',
  })
  @ApiCreatedResponse({ type: ProcedureDoc })
  @ApiProblems(400, 404)
  shareDocument(@UuidParam() id: string, @Body() body: ProcedureDocumentRequest) {
    return this.procedures.shareDocument(id, body.documentId);
  }

  @Get('procedures/:id/documents/:documentId')
  @ApiOperation({ summary: 'A document shared into the procedure, for its participants' })
  @ApiProduces('application/pdf')
  @ApiProblems(404)
  async document(@UuidParam() id: string, @UuidParam('documentId') documentId: string): Promise<StreamableFile> {
    const { document, content } = await this.procedures.openDocument(id, documentId);
    return new StreamableFile(content, {
      type: document.mediaType,
      disposition: `attachment; filename="${document.filename.replace(/[^\x20-\x7e]|"/g, '_')}"`,
      length: document.size,
    });
  }

  @Roles(...CASE_WRITERS)
  @Post('procedures/:id/joint-deadlines')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Keep a joint deadline (a coordinated letter) for the procedure’s participants',
    description:
      'One due instant that is a working day in every participant’s calendar and zone, explained per authority ' +
      '(closure days without their reasons). When a participant adds or removes a closure day that moves it, it ' +
      'becomes `affected` and every participant is told in its own language.',
  })
  @ApiCreatedResponse({ type: StoredJointDeadlineDoc })
  @ApiProblems(400, 404, 409)
  setJointDeadline(@UuidParam() id: string, @Body() body: StoredJointDeadlineRequest) {
    return this.jointDeadlines.set(id, body);
  }

  @Roles(...CASE_WRITERS)
  @Post('procedures/:id/joint-deadlines/:jointId/realign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-align a joint deadline on the participants’ current calendars, recording the move and its reason',
    description: 'The other participants are told the new date. 409 when it already falls where the calendars put it.',
  })
  @ApiOkResponse({ type: StoredJointDeadlineDoc })
  @ApiProblems(400, 404, 409)
  realignJointDeadline(
    @UuidParam() id: string,
    @UuidParam('jointId') jointId: string,
    @Body() body: JointRealignRequest,
  ) {
    return this.jointDeadlines.realign(id, jointId, body.reason);
  }

  @Post('calendar/joint')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One due instant that is a working day in every named authority’s calendar and zone',
    description:
      'Each authority’s own period from the start, then the latest, moved on until it is a working day everywhere.',
  })
  @ApiOkResponse({ type: JointDeadlineDoc })
  @ApiProblems(400)
  joint(@Body() body: JointDeadlineRequest) {
    return this.procedures.joint(body.authorities, body.start, body.count, body.unit);
  }
}

@ApiTags('cooperation')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class AnswersComparedController {
  constructor(private readonly compared: AnswersComparedService) {}

  @Get('organisations/:id/answers-compared')
  @ApiOperation({
    summary: 'The provider’s answers to each authority, topic by topic, with divergences flagged',
    description: 'Other authorities’ answers appear only while their case is shared and its answers are shared.',
  })
  @ApiOkResponse({ type: AnswersComparedDoc })
  @ApiProblems(404)
  compare(@UuidParam() id: string) {
    return this.compared.compare(id);
  }

  @Roles(...CASE_WRITERS)
  @Post('organisations/:id/answers-compared/inconsistencies')
  @HttpCode(201)
  @ApiOperation({ summary: 'Mark your authority’s answer on a topic as inconsistent with another authority’s' })
  @ApiProblems(400, 404)
  inconsistency(@UuidParam() id: string, @Body() body: InconsistencyRequest) {
    return this.compared.markInconsistent(id, body.topic, body.otherAuthority, body.note);
  }

  @Roles('admin', 'manager')
  @Put('cases/:id/answer-sharing')
  @ApiOperation({ summary: 'Share the provider’s answers in this case into the comparison, or stop (audited)' })
  @ApiProblems(400, 404)
  share(@UuidParam() id: string, @Body() body: AnswerSharingRequest) {
    return this.compared.setSharing(id, body.shared);
  }
}

@ApiTags('cases')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/cases')
export class CaseServiceController {
  constructor(private readonly service: ServiceAttemptsService) {}

  @Get(':id/service')
  @ApiOperation({
    summary: 'How the organisation is served in this case',
    description:
      'Its representative in your authority’s jurisdiction or, when it has appointed none, the routes that exist ' +
      '(parent company, a representative elsewhere, app stores, hosting provider, publication) and the attempts recorded.',
  })
  @ApiProblems(404)
  get(@UuidParam() id: string) {
    return this.service.forCase(id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/service-attempts')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an attempt to serve the organisation, with the date from which service counts' })
  @ApiProblems(400, 404)
  record(@UuidParam() id: string, @Body() body: ServiceAttemptRequest) {
    return this.service.record(id, body);
  }
}
