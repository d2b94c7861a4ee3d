// The models folder's one entry (CONVENTIONS 1). Pure functions over typed arrays, seeds passed in;
// file-input is the only module doing I/O (DuckDB, through warehouse/).
export { createRng, deriveSeed, sampleGamma, sampleIndices, type Rng } from './random.ts';
export { digamma, hyp2f1, lgamma, logAddExp } from './special.ts';
export { bfgs, nelderMead, type BfgsOptions, type MinimizeResult, type NelderMeadOptions } from './optimize.ts';
export {
  bgnbdConditionalExpected,
  bgnbdExpected,
  bgnbdLogLikelihood,
  bgnbdPAlive,
  bgnbdProbabilityOfPurchases,
  fitBgnbd,
  scoreBgnbd,
  type BgnbdData,
  type BgnbdFit,
  type BgnbdParams,
  type BgnbdScores,
  type Numbers,
} from './bgnbd.ts';
export { fitGammaGamma, gammaGammaLogLikelihood, ggConditionalExpectedValue, type GammaGammaFit, type GammaGammaParams } from './gamma-gamma.ts';
export { customerLifetimeValue, type ClvOptions } from './clv.ts';
export {
  assignToCentroids,
  kmeans,
  lloydFromCentroids,
  validateMatrix,
  type KmeansOptions,
  type KmeansResult,
  type LloydOptions,
} from './kmeans.ts';
export { chooseK, silhouetteScore, type ChooseKOptions, type ChooseKResult } from './silhouette.ts';
export {
  SEGMENT_FEATURES,
  applyStandardization,
  buildSegmentFeatures,
  log1pColumns,
  standardize,
  type FeatureDefinition,
  type FeatureRole,
  type SegmentColumns,
  type Standardized,
} from './features.ts';
export {
  centroidRows,
  matchSegments,
  nameSegments,
  profileSegments,
  type SegmentIdentity,
  type SegmentMatch,
  type SegmentName,
  type SegmentProfile,
} from './segments.ts';
export { RFM_GROUPS, rfmGroup, rfmScores, type RfmGroupKey, type RfmScores } from './rfm.ts';
export {
  evaluate,
  featureContributions,
  fitBoosted,
  fitLogistic,
  predictChurn,
  selectBest,
  topDrivers,
  type BoostedModel,
  type BoostedOptions,
  type CalibrationBin,
  type ChurnData,
  type ChurnModel,
  type Evaluation,
  type LogisticModel,
  type LogisticOptions,
  type TreeNode,
} from './churn-classifier.ts';
export { CHURN_FEATURES, backtestChurn, buildChurnDataset, type BacktestResult, type Transactions } from './churn-backtest.ts';
export { generateGaussianMixture, simulateBgnbd, type GaussianMixture } from './simulate.ts';
export {
  readNumericMatrix,
  runFitBgnbdCommand,
  runKmeansCommand,
  type FitBgnbdCommandOutput,
  type KmeansCommandInput,
  type KmeansCommandOutput,
  type NumericMatrix,
  type ReadOptions,
} from './file-input.ts';
export { runModels, type ModelRunOptions, type ModelRunSummary } from './run-models.ts';
