export { lineChecksum, numberedLine } from './core/checksum';
export { DIALECTS, MARLIN, PRUSA, REPETIER, type DialectName, type DialectProfile, type TempSnapshot } from './core/dialect';
export { DEFAULT_HALT_MESSAGE, parseFaults, type FaultOptions } from './core/faults';
export { Firmware, type FirmwareOptions, type FirmwareState } from './core/firmware';
export { commandText, parseCommand, type GcodeCommand } from './core/gcode-command';
export { SimulatedPrinter, type SimPrinterOptions } from './core/printer';
export {
  ExecutionRecord,
  compareRecord,
  gcodeCommands,
  type CompareOptions,
  type ExecutedCommand,
  type RecordComparison,
} from './core/record';
export { RealTimeScheduler, VirtualScheduler, type Scheduler, type TimerHandle } from './core/scheduler';
export { moveDurationMs, Planner, type PlannerOptions, type Position } from './machine/planner';
export { ThermalModel, type HeaterSpec, type ThermalOptions } from './machine/thermal';
export { MachineAxes, type Axis } from './machine/axes';
export { SimBinding, SimPort } from './adapters/sim-binding';
export { startSimulator, type RunningSimulator, type SimulatorFaults, type StartSimulatorOptions } from './adapters/pty';
export { runSimCli, type SimCliIo } from './adapters/cli';
export { VirtualHost } from './testing/virtual-host';
