import { isPublicAddress, RefusedAddressError, resolveTarget } from './outbound-address';

describe('outbound webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  describe('resolving a URL', () => {
    it('refuses a loopback literal unless private addresses are allowed', async () => {
      await expect(resolveTarget(new URL('http://127.0.0.1:9/hook'), false)).rejects.toBeInstanceOf(
        RefusedAddressError,
      );
      await expect(resolveTarget(new URL('http://127.0.0.1:9/hook'), true)).resolves.toEqual({
        address: '127.0.0.1',
        family: 4,
      });
    });

    it('refuses a name that resolves to loopback', async () => {
      await expect(resolveTarget(new URL('http://localhost/hook'), false)).rejects.toThrow(/loopback/);
    });

    it('refuses a bracketed IPv6 loopback', async () => {
      await expect(resolveTarget(new URL('http://[::1]:8080/'), false)).rejects.toBeInstanceOf(
        RefusedAddressError,
      );
    });
  });
});
