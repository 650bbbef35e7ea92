import { commandPermission } from './command-permission';

describe('commandPermission', () => {
  it('lets admins send every verb, operators every verb but gcode', () => {
    expect(commandPermission('operator', 'estop', 'olga')).toEqual({ allowed: true });
    expect(commandPermission('admin', 'gcode', 'ada')).toEqual({ allowed: true });
  });

  it('keeps raw G-code for admins', () => {
    expect(commandPermission('operator', 'gcode', 'olga')).toMatchObject({ allowed: false, reason: expect.stringMatching(/only admins/) });
    expect(commandPermission('maker', 'gcode', 'mia', 'mia')).toMatchObject({ allowed: false });
  });

  it('refuses viewers, and makers outside their own jobs, each with a reason', () => {
    expect(commandPermission('viewer', 'pause', 'vic')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/viewers/),
    });
    expect(commandPermission('maker', 'pause', 'mia')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/not known/),
    });
    expect(commandPermission('maker', 'cancel', 'mia', 'bob')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/belongs to bob/),
    });
    expect(commandPermission('maker', 'estop', 'mia', 'mia')).toMatchObject({ allowed: false });
    expect(commandPermission('maker', 'resume', 'mia', 'Mia')).toEqual({ allowed: true });
  });
});
