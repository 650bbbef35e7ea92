export * from './discovered-port';
export * from './usb-id-matcher';
export * from './printer-identity';
export * from './sysfs-port-lister';
export * from './port-lister';
export * from './hotplug-watcher';
