package dev.compliance.producers.classify;

import java.math.BigInteger;

/** Check digits that tell real identifiers from look-alike digit runs. */
final class Checksums {

    private Checksums() {
    }

    /** 13 to 19 digits with a card issuer prefix and a valid Luhn check digit. */
    static boolean isPaymentCard(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19 || !digits.matches("\\d+")) {
            return false;
        }
        boolean issuer = digits.matches("(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5)|35|30[0-5]|36|38).*");
        return issuer && luhn(digits);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** An IBAN of 15 to 34 characters whose ISO 13616 mod-97 check gives 1. */
    static boolean isIban(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            if (Character.isDigit(c)) {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** A US ABA routing number: nine digits, 3-7-1 weighted sum divisible by 10, not all zeros. */
    static boolean isAbaRouting(String candidate) {
        if (!candidate.matches("\\d{9}") || candidate.equals("000000000")) {
            return false;
        }
        int[] d = candidate.chars().map(c -> c - '0').toArray();
        int sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
        return sum % 10 == 0;
    }
}
