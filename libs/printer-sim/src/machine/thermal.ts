import type { Random } from '../core/random';

export interface HeaterSpec {
  /** Fastest heating rate at full power, °C/s (hot end ≈ 2, bed ≈ 0.5). */
  maxHeatRate: number;
  /** Natural cooling time constant toward ambient, s. */
  coolTau: number;
  /** Within this many °C of the target the controller eases off (exponential approach). */
  approachBand: number;
  maxTemp: number;
}

export const HOTEND: HeaterSpec = { maxHeatRate: 2, coolTau: 120, approachBand: 4, maxTemp: 275 };
export const BED: HeaterSpec = { maxHeatRate: 0.5, coolTau: 300, approachBand: 2, maxTemp: 125 };

const STEP_S = 0.1;

/**
 * One heater with first-order dynamics: full power (linear rise at `maxHeatRate`) far from the
 * target, an exponential approach inside `approachBand`, Newtonian cooling when off or above the
 * target. Integrated in fixed 100 ms steps up to the requested time, so results do not depend on
 * how often it is asked.
 */
export class Heater {
  temp: number;
  target = 0;
  /** Heater PWM as Marlin prints it after `@:` (0–127). */
  power = 0;
  private lastMs: number;

  constructor(
    private readonly spec: HeaterSpec,
    readonly ambient: number,
    startMs: number,
  ) {
    this.temp = ambient;
    this.lastMs = startMs;
  }

  update(nowMs: number): void {
    while (this.lastMs + STEP_S * 1000 <= nowMs) {
      this.step(STEP_S);
      this.lastMs += STEP_S * 1000;
    }
  }

  private step(dt: number): void {
    const { maxHeatRate, coolTau, approachBand } = this.spec;
    const cooling = (this.temp - this.ambient) / coolTau;
    if (this.target > 0 && this.temp < this.target) {
      const err = this.target - this.temp;
      const duty = Math.min(1, err / approachBand + cooling / maxHeatRate);
      this.power = Math.round(duty * 127);
      this.temp += (duty * maxHeatRate - cooling) * dt;
    } else {
      // Holding (or above) the target: just enough power to cancel losses at the target.
      const hold = this.target > 0 ? Math.min(1, (this.target - this.ambient) / coolTau / maxHeatRate) : 0;
      this.power = this.temp <= this.target + 0.5 ? Math.round(hold * 127) : 0;
      const heat = this.temp <= this.target + 0.5 ? hold * maxHeatRate : 0;
      this.temp += (heat - cooling) * dt;
    }
  }
}

export interface ThermalOptions {
  ambient?: number;
  /** Peak-to-peak sensor noise in °C (0 = exact readings, handy for byte-exact tests). */
  noise?: number;
  /**
   * Heater dynamics instead of the defaults (tests that heat and cool in seconds). Keep
   * `maxHeatRate × 0.1 s / approachBand` ≤ 0.5: the model steps in 100 ms.
   */
  hotend?: Partial<HeaterSpec>;
  bed?: Partial<HeaterSpec>;
}

/** Hot end 0 and the bed, plus the part-cooling fan. */
export class ThermalModel {
  readonly hotend: Heater;
  readonly bed: Heater;
  fanSpeed = 0;
  private readonly noise: number;

  constructor(
    startMs: number,
    private readonly random: Random,
    options: ThermalOptions = {},
  ) {
    const ambient = options.ambient ?? 21;
    this.noise = options.noise ?? 0.2;
    this.hotend = new Heater({ ...HOTEND, ...options.hotend }, ambient, startMs);
    this.bed = new Heater({ ...BED, ...options.bed }, ambient, startMs);
  }

  update(nowMs: number): void {
    this.hotend.update(nowMs);
    this.bed.update(nowMs);
  }

  /** What the thermistor reports: true temperature plus seeded noise. */
  reading(h: Heater): number {
    if (this.noise === 0) return h.temp;
    return h.temp + (this.random() - 0.5) * this.noise;
  }
}
