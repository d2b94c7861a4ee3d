// The dashboard imports reports/ (account e-mails go through its mail transport), which brings in
// reports/cjk-font.ts and its fontkit import: use the reports folder's declaration of fontkit.
/// <reference path="../../reports/fontkit.d.ts" />
