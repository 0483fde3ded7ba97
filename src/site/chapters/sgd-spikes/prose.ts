/**
 * Chapter 2's numbers as its prose writes them, formatted here once (the MDX holds words and these
 * values, never a formatting call): the anatomy runs, the top-eigendirection shares, the deep FCN
 * under GD and the ladders, from the read-outs of ./readouts.ts.
 */
import { deepFcnStories, PLACEMENT_DRAWS, proseNumbers } from './readouts';

const fixed = (x: number, d: number) => x.toFixed(d);
const prec = (x: number, d: number) => x.toPrecision(d);
const percent = (x: number) => String(Math.round(100 * x));

/** Every value the chapter's sentences quote, as text. */
export function chapter2Prose() {
  const { st, sh, large0, fcnHi, fcnLo, ladder } = proseNumbers();
  const stories = deepFcnStories();
  const lo = stories[0];
  const hi = stories[stories.length - 1];
  return {
    /** Share of steps above their batch's critical rate at the large rate, in percent (no sign). */
    baseRatePct: percent(st.baseRate),
    chance: prec(st.chance, 2),
    medianBatchCritOverCrit: fixed(large0.medianBatchCritOverCrit, 2),
    ratioMin: fixed(st.ratioMin, 1),
    ratioMax: fixed(st.ratioMax, 1),
    largestRatio: fixed(sh.largest.ratio, 1),
    plGrowth: fixed(1 + sh.largest.plRise, 1),
    perpRisePct: percent(sh.largest.perpRise),
    peakMeanPct: percent(sh.peakMean),
    medianAllPct: percent(sh.medianAll),
    hi: {
      edgeAtStart: fixed(hi.edgeAtStart, 2),
      firstSpikeRatio: fixed(hi.firstSpike.ratio, 1),
      plSharePct: percent(fcnHi.plShareAtPeak),
      lambda0: prec(fcnHi.lambda0, 3),
      lambdaEnd: prec(fcnHi.lambdaEnd, 3),
      lambdaEndEdge: fixed(fcnHi.lambdaEndTimesEtaOver2, 3),
    },
    lo: {
      edgeAtStart: fixed(lo.edgeAtStart, 2),
      lambdaEnd: prec(fcnLo.lambdaEnd, 3),
      lambdaEndEdge: fixed(fcnLo.lambdaEndTimesEtaOver2, 3),
    },
    ladder: ladder.map((r) => ({
      maxStageEdge: fixed(r.maxStageEtaLambdaEndOver2, 3),
      stageEdges: r.stageEtaLambdaEnd.map((x) => fixed(x, 2)).join(', '),
      lambda0: prec(r.lambda0, 3),
      finalEta: fixed(r.finalEtaOverCrit0, 1),
      ...(r.divergedAt === null
        ? { lambdaEnd: prec(r.lambdaEnd, 3), firstLambdaEnd: '', firstDrop: '' }
        : {
            lambdaEnd: '',
            firstLambdaEnd: prec(r.firstLambdaEnd, 3),
            firstDrop: fixed(r.lambda0 / r.firstLambdaEnd, 0),
          }),
    })),
    placementDraws: PLACEMENT_DRAWS.toLocaleString('en'),
  };
}
