// The dashboard renders reports (preview, "send now"): reports/ declares the one untyped module it uses.
/// <reference path="../../reports/fontkit.d.ts" />
