// @ts-check
// The project's own core engine for the specs' expectations: the compiled
// modules under out/src (built by `npm run build`), loaded with computed paths
// so the type check does not pull out/'s JavaScript into the program; each one
// is typed by its TypeScript source under src/.
'use strict';
const path = require('path');

const OUT = path.join(__dirname, '..', '..', '..', 'out', 'src');

/** @type {typeof import('../../../src/core/model/modelFile')} */
const modelFile = require(path.join(OUT, 'core', 'model', 'modelFile.js'));
/** @type {typeof import('../../../src/core/inference/documentAnalysis')} */
const documentAnalysis = require(path.join(OUT, 'core', 'inference', 'documentAnalysis.js'));
/** @type {typeof import('../../../src/core/analysis/discoverCells')} */
const discoverCellsModule = require(path.join(OUT, 'core', 'analysis', 'discoverCells.js'));
/** @type {typeof import('../../../src/core/analysis/languages')} */
const languages = require(path.join(OUT, 'core', 'analysis', 'languages.js'));
/** @type {typeof import('../../../src/extension/editor/colourMap')} */
const colourMap = require(path.join(OUT, 'extension', 'editor', 'colourMap.js'));
/** @type {typeof import('../../../src/core/analysis/bundledLabels')} */
const bundledLabels = require(path.join(OUT, 'core', 'analysis', 'bundledLabels.js'));
/** @type {typeof import('../../../src/core/inference/intervention')} */
const intervention = require(path.join(OUT, 'core', 'inference', 'intervention.js'));
/** @type {typeof import('../../../src/extension/intervention/overlayRuns')} */
const overlayRuns = require(path.join(OUT, 'extension', 'intervention', 'overlayRuns.js'));
/** @type {typeof import('../../../src/extension/editor/hoverText')} */
const hoverText = require(path.join(OUT, 'extension', 'editor', 'hoverText.js'));

module.exports = {
  OUT,
  readModelFile: modelFile.readModelFile,
  DocumentAnalysis: documentAnalysis.DocumentAnalysis,
  discoverCells: discoverCellsModule.discoverCells,
  languageFromId: languages.languageFromId,
  bucketOf: colourMap.bucketOf,
  thresholdBucketOf: colourMap.thresholdBucketOf,
  parseBundledLabels: bundledLabels.parseBundledLabels,
  openingCell: bundledLabels.openingCell,
  formatValue: hoverText.formatValue,
  InterventionPlan: intervention.InterventionPlan,
  resolveInterventions: intervention.resolveInterventions,
  deltaBucket: overlayRuns.deltaBucket,
};
