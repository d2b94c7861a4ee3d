// The reports folder's one entry (CONVENTIONS 1): report definitions, rendering, subscriptions,
// delivery and the mail transport.
export { CJK_FONT_PACKAGE, resolveCjkFont, type CjkFont } from './cjk-font.ts';
export {
  DEFAULT_RETRY,
  DELIVERY_STATES,
  deliverSlot,
  deliveryMessageId,
  getDelivery,
  listDeliveries,
  retryDelivery,
  sendReportNow,
  sendSubscriptionNow,
  slotFolder,
  type DeliveryContext,
  type DeliveryFilters,
  type DeliveryHooks,
  type DeliveryRecord,
  type DeliveryState,
  type DeliveryTarget,
  type RetryPolicy,
  type SendNowOptions,
  type SlotSummary,
} from './deliver.ts';
export { PERIOD_KINDS, periodSchema, resolvePeriod, type Period, type PeriodInput, type PeriodKind } from './period.ts';
export { canSeePersonalData, createPersonalDataSource, maskName, noPersonalData, type PersonalData, type PersonalDataSource } from './personal-data.ts';
export { buildReportData, type ExecutiveData, type KpiRow, type ReportData, type ReportMeta, type ReportRequest } from './report-data.ts';
export {
  FORMATS,
  LANGUAGES,
  MIME_TYPES,
  REPORT_NAMES,
  REPORT_PERMISSIONS,
  REPORTS_LISTING_CUSTOMERS,
  isReportName,
  missingReportPermissions,
  rolesGrantableBy,
  type Language,
  type ReportFormat,
  type ReportName,
} from './report-definitions.ts';
export { renderPdf } from './render-pdf.ts';
export { formatInTimeZone, nextRunTimes, scheduleSubscription, type ScheduleDb, type ScheduleWriter } from './schedule.ts';
export { DEFAULT_RENDER_ROLE, renderReport, renderReportFiles, type RenderOptions, type RenderRequest, type RenderedFile, type RenderedReport, type ReportEnvironment } from './render-report.ts';
export { excelDate, memberCells, memberColumns, reportSheets, workbookBuffer, writeWorkbook, type CellValue, type ColumnType, type SheetColumn, type SheetSpec } from './render-xlsx.ts';
export {
  checkReportAccess,
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  parseSubscription,
  setSubscriptionPaused,
  subscriptionInput,
  updateSubscription,
  type Subscription,
  type SubscriptionInput,
} from './subscriptions.ts';
export {
  DEFAULT_FROM,
  createMailTransport,
  createSmtpTransport,
  isOutboxId,
  listOutbox,
  outboxDir,
  outboxHasMessage,
  readOutboxAttachment,
  startCaptureServer,
  type CaptureServer,
  type MailTransport,
  type OutboxEntry,
  type OutgoingMail,
} from './transport.ts';
