// The otpauth:// URI as a QR code, a PNG data URL for an <img> (the CSP allows img-src data:).
import QRCode from 'qrcode';

export function qrDataUrl(text: string): Promise<string> {
  // Medium error correction and a quiet zone of 2 modules: what phone cameras read well on screens.
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 200 });
}
