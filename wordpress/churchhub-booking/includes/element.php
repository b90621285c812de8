<?php
/**
 * The `<churchhub-booking>` element that the block and the shortcode both print.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

/**
 * The element for one calendar, and the widget script queued for this page; '' for visitors when
 * the calendar cannot work (no server address, no valid host), so nothing broken is shown.
 *
 * @param array  $given   Block or shortcode attributes.
 * @param string $wrapper Attributes for a wrapping `<div>` (the block's), or '' for none.
 * @return string HTML.
 */
function render_calendar( array $given, $wrapper = '' ) {
	$server = server_url();
	if ( '' === $server ) {
		return problem_for_editors( __( 'ChurchHub Booking: this calendar is hidden until an administrator sets the booking server\'s address in Settings → ChurchHub Booking.', 'churchhub-booking' ) );
	}
	$attributes = element_attributes( $given );
	if ( is_wp_error( $attributes ) ) {
		return problem_for_editors( $attributes->get_error_message() );
	}
	enqueue_widget_script( $server );

	// `api` names the server outright, so the element still finds it if an optimisation plugin
	// serves the script from another address.
	$html = '<churchhub-booking api="' . esc_url( $server ) . '"';
	foreach ( $attributes as $name => $value ) {
		$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	$html .= '></churchhub-booking>';
	return '' === $wrapper ? $html : '<div ' . $wrapper . '>' . $html . '</div>';
}

/**
 * Says what is wrong to someone who can edit the page; visitors get nothing.
 *
 * @param string $message Plain text.
 * @return string HTML.
 */
function problem_for_editors( $message ) {
	if ( ! current_user_can( 'edit_posts' ) ) {
		return '';
	}
	return '<p class="churchhub-booking-problem">' . esc_html( $message ) . '</p>';
}
