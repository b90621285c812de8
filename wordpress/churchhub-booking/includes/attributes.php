<?php
/**
 * One set of rules for the block's and the shortcode's attributes: each value is checked
 * against what the element accepts, and anything else is dropped rather than passed on.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/** The same rule as the server's usernames. */
const USERNAME_PATTERN = '/^[a-z0-9][a-z0-9_-]{0,63}$/';
/** Event-type and questionnaire slugs. */
const SLUG_PATTERN = '/^[A-Za-z0-9_-]{1,100}$/';
/** A language tag such as es or es-MX. */
const LANG_PATTERN = '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/';
const MODES        = array( 'inline', 'popup', 'floating' );
const THEMES       = array( 'light', 'dark', 'auto' );
const LABEL_MAX    = 80;

/**
 * The element's attributes for one calendar, settings' defaults filled in.
 *
 * @param array $given Block attributes (`brandColor`) or shortcode attributes (`brand-color`).
 * @return array<string, string>|WP_Error Attribute name => value, in the element's order.
 */
function element_attributes( array $given ) {
	$defaults = settings();
	$username = strtolower( trim( text( $given, 'username' ) ) );
	if ( ! preg_match( USERNAME_PATTERN, $username ) ) {
		return new WP_Error(
			'churchhub_booking_username',
			'' === $username
				? __( 'Choose the host (a ChurchHub username) in the block settings.', 'churchhub-booking' )
				/* translators: %s: what was entered as the username */
				: sprintf( __( '"%s" is not a ChurchHub username (letters, digits, "-" or "_").', 'churchhub-booking' ), $username )
		);
	}
	$mode  = strtolower( text( $given, 'mode' ) );
	$theme = strtolower( text( $given, 'theme' ) );
	$lang  = text( $given, 'lang' );
	$color = sanitize_hex_color( text( $given, 'brandColor' ) );
	$mode  = in_array( $mode, MODES, true ) ? $mode : 'inline';
	// Plain text: the element shows it as text, never as markup, so nothing needs stripping.
	$label = trim( preg_replace( '/[\x00-\x1F\x7F\s]+/u', ' ', wp_check_invalid_utf8( text( $given, 'label' ) ) ) );

	$attributes = array(
		'username'    => $username,
		'event'       => slug( text( $given, 'event' ) ),
		'mode'        => $mode,
		'label'       => 'inline' === $mode ? '' : mb_substr( $label, 0, LABEL_MAX ),
		'lang'        => preg_match( LANG_PATTERN, $lang ) ? $lang : $defaults['default_lang'],
		'theme'       => in_array( $theme, THEMES, true ) ? $theme : '',
		'brand-color' => $color ? $color : $defaults['brand_color'],
		'form'        => slug( text( $given, 'form' ) ),
	);
	return array_filter( $attributes, 'strlen' );
}

/**
 * A string attribute by its block name, or by its shortcode spelling (`brand-color`, `brand_color`).
 *
 * @param array  $given The attributes.
 * @param string $name  The block attribute's name.
 * @return string
 */
function text( array $given, $name ) {
	$kebab = strtolower( preg_replace( '/([A-Z])/', '-$1', $name ) );
	foreach ( array( $name, $kebab, str_replace( '-', '_', $kebab ) ) as $key ) {
		if ( isset( $given[ $key ] ) && is_scalar( $given[ $key ] ) ) {
			return (string) $given[ $key ];
		}
	}
	return '';
}

/**
 * @param string $value A slug as entered.
 * @return string The slug, or '' when it is not one.
 */
function slug( $value ) {
	$value = trim( $value );
	return preg_match( SLUG_PATTERN, $value ) ? $value : '';
}
