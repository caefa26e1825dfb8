import { Inject, Injectable } from '@nestjs/common';
import { IdentityService } from '#docket/identity';
import { MailingService } from '#docket/mailing';
import { escapeHtml, RequestContext, RUNTIME, type Runtime } from '#docket/platform';

export interface QuarantinedFile {
  authorityId: string;
  caseId: string | null;
  filename: string;
  sha256: string;
  signature: string;
  /** Where staff find it: the case or inbox page. */
  path: string;
}

const TEXTS: Record<string, (file: QuarantinedFile) => { subject: string; body: string }> = {
  en: (f) => ({
    subject: `Malware found and quarantined: ${f.filename}`,
    body: `The file "${f.filename}" (SHA-256 ${f.sha256}) contains ${f.signature}. It is kept as evidence in quarantine and cannot be downloaded.`,
  }),
  it: (f) => ({
    subject: `Rilevato malware, file in quarantena: ${f.filename}`,
    body: `Il file "${f.filename}" (SHA-256 ${f.sha256}) contiene ${f.signature}. È conservato in quarantena a fini probatori e non può essere scaricato.`,
  }),
  ko: (f) => ({
    subject: `악성코드 탐지 및 격리: ${f.filename}`,
    body: `파일 "${f.filename}"(SHA-256 ${f.sha256})에서 ${f.signature}이(가) 탐지되었습니다. 증거로 격리 보관되며 내려받을 수 없습니다.`,
  }),
  ja: (f) => ({
    subject: `マルウェアを検出し隔離しました：${f.filename}`,
    body: `ファイル「${f.filename}」（SHA-256 ${f.sha256}）から${f.signature}が検出されました。証拠として隔離保管しており、ダウンロードすることはできません。`,
  }),
  fr: (f) => ({
    subject: `Logiciel malveillant détecté et mis en quarantaine : ${f.filename}`,
    body: `Le fichier « ${f.filename} » (SHA-256 ${f.sha256}) contient ${f.signature}. Il est conservé en quarantaine à titre de preuve et ne peut pas être téléchargé.`,
  }),
  de: (f) => ({
    subject: `Schadsoftware gefunden und in Quarantäne: ${f.filename}`,
    body: `Die Datei „${f.filename}“ (SHA-256 ${f.sha256}) enthält ${f.signature}. Sie wird als Beweismittel in Quarantäne aufbewahrt und kann nicht heruntergeladen werden.`,
  }),
  nl: (f) => ({
    subject: `Malware gevonden en in quarantaine geplaatst: ${f.filename}`,
    body: `Het bestand "${f.filename}" (SHA-256 ${f.sha256}) bevat ${f.signature}. Het wordt als bewijs in quarantaine bewaard en kan niet worden gedownload.`,
  }),
};

/** Staff of the authority (admins and managers) are told at once when a file that entered is quarantined. */
@Injectable()
export class QuarantineNotice {
  constructor(
    private readonly mailing: MailingService,
    private readonly identity: IdentityService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async send(file: QuarantinedFile): Promise<void> {
    const authority = await this.identity.requireAuthority(file.authorityId);
    const staff = await RequestContext.asAuthority(authority.id, () => this.identity.listUsers(['admin', 'manager']));
    const to = staff.filter((user) => user.active).map((user) => user.email);
    if (to.length === 0) return;
    const texts = TEXTS[authority.locale.slice(0, 2).toLowerCase()] ?? TEXTS.en;
    const { subject, body } = texts(file);
    const text = `${body}\n\n${this.runtime.config.PUBLIC_URL}${file.path}\n`;
    await this.mailing.queueMessage({
      authorityId: authority.id,
      caseId: file.caseId,
      kind: 'malware-quarantine',
      dedupeKey: `quarantine:${authority.id}:${file.sha256}:${file.path}`,
      to,
      subject,
      text,
      html: `<p>${escapeHtml(body)}</p><p>${escapeHtml(this.runtime.config.PUBLIC_URL + file.path)}</p>`,
    });
  }
}
